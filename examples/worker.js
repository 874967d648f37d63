// A background worker that logs a heartbeat.
let n = 0;
const timer = setInterval(() => console.log(`tick ${++n}`), 5000);
console.log(`worker ${process.pid} started`);
process.on('SIGINT', () => {
  clearInterval(timer);
  console.log('worker stopping');
  process.exit(0);
});
