// An HTTP app that exits as soon as it receives GET /crash, and otherwise answers with its pid.
// argv: [tag, port]. Says "listening" once it accepts connections.
const http = require('node:http');
const notify = require('./notify.cjs');

const tag = process.argv[2] || 'crash';
const port = Number(process.argv[3] || 3000);
const server = http.createServer((req, res) => {
  if (req.url === '/crash') process.exit(1);
  res.end(String(process.pid));
});
server.listen(port, '127.0.0.1', () => notify('listening', tag));
