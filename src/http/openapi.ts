// GET /api/v1/openapi.json: OpenAPI 3.1, generated when asked (not kept: the daemon's footprint) from the
// route table and the protocol's own definitions: each method's params and result are its zod schemas as
// JSON Schema (zod's toJSONSchema), each route lists the error codes it may answer.
import { type ErrorCode, errorCatalogue } from '../protocol/errors.js';
import { events } from '../protocol/events.js';
import { type MethodName, methods } from '../protocol/methods/index.js';
import * as z from '../protocol/zod.js';
import { VERSION } from '../version.js';
import { LOCAL_METHODS } from './api-routes.js';
import { statusOf } from './status.js';
import type { Route } from './types.js';

type Schema = Record<string, unknown>;

/** Codes any authenticated route may answer, besides its method's own. */
const COMMON: readonly ErrorCode[] = [
  'TEND_ERR_BAD_REQUEST',
  'TEND_ERR_UNAUTHORIZED',
  'TEND_ERR_FORBIDDEN',
  'TEND_ERR_FRAME_TOO_LARGE',
  'TEND_ERR_SHUTTING_DOWN',
  'TEND_ERR_INTERNAL',
];

function jsonSchema(schema: z.ZodMiniType, io: 'input' | 'output'): Schema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as Schema;
  return rest;
}

/** The params schema without the fields the path gives (`target`, `name`). */
function withoutPathParams(schema: Schema, names: readonly string[]): Schema {
  const properties = { ...((schema.properties as Schema | undefined) ?? {}) };
  for (const n of names) delete properties[n];
  const required = ((schema.required as string[] | undefined) ?? []).filter((r) => !names.includes(r));
  return { ...schema, properties, ...(required.length > 0 ? { required } : { required: undefined }) };
}

export function openApiDocument(routes: readonly Route[]): Schema {
  const schemas: Schema = {
    Error: {
      type: 'object',
      properties: {
        error: {
          type: 'object',
          properties: {
            code: { type: 'string', enum: Object.keys(errorCatalogue) },
            message: { type: 'string' },
            data: { type: 'object' },
          },
          required: ['code', 'message', 'data'],
        },
      },
      required: ['error'],
    },
  };
  const callable = Object.keys(methods).filter((n) => !LOCAL_METHODS.has(n)) as MethodName[];
  for (const name of callable) {
    schemas[`${name}.params`] = jsonSchema(methods[name].params(), 'input');
    schemas[`${name}.result`] = jsonSchema(methods[name].result(), 'output');
  }
  // The data of the events the SSE streams relay, as the protocol defines them (`event.process.reload`).
  for (const name of new Set(routes.flatMap((r) => r.events ?? [])))
    schemas[`event.${name}`] = jsonSchema(events[name].data(), 'output');
  const paths: Record<string, Record<string, Schema>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const pathParams = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
    const def = route.protocol ? methods[route.protocol] : undefined;
    const op: Schema = {
      operationId: `${route.method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
      summary: route.summary,
      ...(route.protocol
        ? { description: `Protocol method \`${route.protocol}\`: ${def?.summary ?? ''}` }
        : {}),
      'x-tend-scope': route.scope,
      security: route.scope === 'none' ? [] : [{ bearer: [] }, { session: [] }],
      parameters: [
        ...pathParams.map((name) => ({
          name,
          in: 'path',
          required: true,
          schema: name === 'method' ? { type: 'string', enum: callable } : { type: 'string' },
        })),
        ...(route.query ?? []).map((q) => ({
          name: q.name,
          in: 'query',
          required: false,
          description: q.description,
          schema: { type: q.type ?? 'string' },
        })),
      ],
    };
    if (route.body === 'params' && route.protocol) {
      const schema = withoutPathParams(schemas[`${route.protocol}.params`] as Schema, pathParams);
      op.requestBody = { required: false, content: { 'application/json': { schema } } };
    } else if (route.body && route.body !== 'params') {
      op.requestBody = {
        required: true,
        description: route.body.description,
        content: { 'application/json': { schema: route.body.schema } },
      };
    }
    const ok: Schema = route.sse
      ? {
          description: 'Server-sent events',
          content: {
            'text/event-stream': {
              schema: { type: 'string' },
              // Each `event: <name>` frame's `data:` line is JSON of that schema.
              ...(route.events
                ? {
                    'x-tend-events': Object.fromEntries(
                      route.events.map((n) => [n, { $ref: `#/components/schemas/event.${n}` }]),
                    ),
                  }
                : {}),
            },
          },
        }
      : route.path.startsWith('/api/')
        ? {
            description: 'OK',
            content: {
              'application/json': {
                schema:
                  route.result ??
                  (route.protocol ? { $ref: `#/components/schemas/${route.protocol}.result` } : {}),
              },
            },
          }
        : { description: 'OK', content: { 'text/plain': { schema: { type: 'string' } } } };
    const codes = [
      ...new Set([
        ...(def?.errors ?? []),
        ...(route.scope === 'none' ? ['TEND_ERR_BAD_REQUEST' as const] : COMMON),
      ]),
    ];
    const byStatus = new Map<number, string[]>();
    for (const code of codes) byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
    const responses: Schema = {
      [route.method === 'DELETE' && route.path.endsWith('/session') ? '204' : '200']: ok,
    };
    for (const [status, list] of [...byStatus].sort((a, b) => a[0] - b[0])) {
      responses[String(status)] = {
        description: list.join(', '),
        'x-tend-errors': list,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    op.responses = responses;
    paths[path] ??= {};
    (paths[path] as Record<string, Schema>)[route.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'tend HTTP API',
      version: VERSION,
      description:
        'The same operations as the socket protocol (docs/protocol.md), over HTTP. See docs/http.md.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: '$TEND_HOME/http.token (admin) or http.read-token (read)',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'tend_session',
          description: 'POST /api/v1/session; POST and DELETE also need X-Tend-CSRF',
        },
      },
    },
  };
}
