// The OpenAPI document: OpenAPI 3.1's required structure (checked with ajv against the essentials of its
// schema), every route of the table and every callable protocol method in it, every embedded schema a valid
// JSON Schema 2020-12, every error code it names a real one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { LOCAL_METHODS } from '../../../src/http/api-routes.js';
import { openApiDocument } from '../../../src/http/openapi.js';
import { ROUTES } from '../../../src/http/routes.js';
import { errorCatalogue } from '../../../src/protocol/errors.js';
import { events } from '../../../src/protocol/events.js';
import { methods } from '../../../src/protocol/methods/index.js';

// biome-ignore lint/suspicious/noExplicitAny: the document is read by field
const doc = openApiDocument(ROUTES) as any;

/** The parts of the OpenAPI 3.1 schema (spec.openapis.org/oas/3.1/schema) every document must satisfy. */
const OPENAPI_31 = {
  type: 'object',
  required: ['openapi', 'info', 'paths'],
  properties: {
    openapi: { type: 'string', pattern: '^3\\.1\\.\\d+$' },
    info: { type: 'object', required: ['title', 'version'] },
    paths: {
      type: 'object',
      propertyNames: { pattern: '^/' },
      additionalProperties: {
        type: 'object',
        propertyNames: {
          enum: ['get', 'post', 'delete', 'put', 'patch', 'summary', 'description', 'parameters'],
        },
        additionalProperties: {
          type: 'object',
          required: ['responses'],
          properties: {
            operationId: { type: 'string' },
            parameters: {
              type: 'array',
              items: {
                type: 'object',
                required: ['name', 'in'],
                properties: { in: { enum: ['query', 'header', 'path', 'cookie'] } },
                if: { properties: { in: { const: 'path' } } },
                // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then
                then: { required: ['required'], properties: { required: { const: true } } },
              },
            },
            requestBody: { type: 'object', required: ['content'] },
            responses: {
              type: 'object',
              minProperties: 1,
              propertyNames: { pattern: '^[1-5]\\d\\d$' },
              additionalProperties: { type: 'object', required: ['description'] },
            },
          },
        },
      },
    },
    components: { type: 'object' },
  },
};

test('the document has the structure OpenAPI 3.1 requires', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validate = ajv.compile(OPENAPI_31);
  assert.ok(validate({ ...doc }), ajv.errorsText(validate.errors));
  const ids = new Set<string>();
  for (const ops of Object.values(doc.paths) as Record<string, { operationId: string }>[])
    for (const op of Object.values(ops)) {
      assert.ok(!ids.has(op.operationId), `operationId ${op.operationId} once`);
      ids.add(op.operationId);
    }
});

test('every route is in it, with its path parameters', () => {
  for (const r of ROUTES) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const op = doc.paths[path]?.[r.method.toLowerCase()];
    assert.ok(op, `${r.method} ${r.path}`);
    for (const [, name] of r.path.matchAll(/:(\w+)/g))
      assert.ok(
        op.parameters.some((p: { name: string; in: string }) => p.name === name && p.in === 'path'),
        `${r.path} ${name}`,
      );
  }
  let count = 0;
  for (const ops of Object.values(doc.paths)) count += Object.keys(ops as object).length;
  assert.equal(count, ROUTES.length);
  // The contract's table.
  for (const p of [
    '/api/v1/session',
    '/api/v1/processes/{target}/reload',
    '/api/v1/apps/{name}/scale',
    '/api/v1/logs/stream',
    '/api/v1/events',
    '/api/v1/call/{method}',
    '/metrics',
    '/readyz',
  ])
    assert.ok(doc.paths[p], p);
});

test("every callable method's params and result are valid JSON Schema 2020-12", () => {
  const ajv = new Ajv2020({ strict: false });
  for (const name of Object.keys(methods)) {
    if (LOCAL_METHODS.has(name)) {
      assert.equal(doc.components.schemas[`${name}.params`], undefined, name);
      continue;
    }
    for (const part of ['params', 'result']) {
      const schema = doc.components.schemas[`${name}.${part}`];
      assert.ok(schema, `${name}.${part}`);
      assert.ok(ajv.validateSchema(schema), `${name}.${part}: ${ajv.errorsText(ajv.errors)}`);
    }
  }
  assert.deepEqual(
    doc.paths['/api/v1/call/{method}'].post.parameters[0].schema.enum.sort(),
    Object.keys(methods)
      .filter((m) => !LOCAL_METHODS.has(m))
      .sort(),
  );
});

test("a route's body is its method's params without the path's; its errors are real codes with their status", () => {
  const stop = doc.paths['/api/v1/processes/{target}/stop'].post;
  const body = stop.requestBody.content['application/json'].schema;
  assert.ok(!('target' in body.properties) && 'cascade' in body.properties);
  assert.deepEqual(stop.responses['404']['x-tend-errors'], ['TEND_ERR_TARGET_NOT_FOUND']);
  assert.ok(stop.responses['401'] && stop.responses['403']);
  for (const ops of Object.values(doc.paths) as Record<
    string,
    { responses: Record<string, { 'x-tend-errors'?: string[] }> }
  >[])
    for (const op of Object.values(ops))
      for (const res of Object.values(op.responses))
        for (const code of res['x-tend-errors'] ?? []) assert.ok(code in errorCatalogue, code);
  assert.deepEqual(doc.paths['/api/v1/openapi.json'].get.security, [], 'the document needs no token');
});

test("the events stream names every bus event with the protocol's data schema (process.reload with its ProcessInfo)", () => {
  const ajv = new Ajv2020({ strict: false });
  const media = doc.paths['/api/v1/events'].get.responses['200'].content['text/event-stream'];
  const busEvents = Object.entries(events)
    .filter(([, e]) => e.stream === 'events')
    .map(([n]) => n)
    .sort();
  assert.deepEqual(Object.keys(media['x-tend-events']).sort(), busEvents);
  for (const name of busEvents) {
    assert.deepEqual(media['x-tend-events'][name], { $ref: `#/components/schemas/event.${name}` });
    const schema = doc.components.schemas[`event.${name}`];
    assert.ok(ajv.validateSchema(schema), `event.${name}: ${ajv.errorsText(ajv.errors)}`);
  }
  const reload = doc.components.schemas['event.process.reload'];
  assert.ok(reload.required.includes('process'), 'process.reload carries the ProcessInfo');
  assert.deepEqual(
    Object.keys(reload.properties.process.properties).sort(),
    Object.keys(doc.components.schemas['event.process.state'].properties.process.properties).sort(),
    'the same ProcessInfo as process.state',
  );
});
