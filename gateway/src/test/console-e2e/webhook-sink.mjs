// A channel's webhook endpoint for the console test: acknowledges every stock update (any 2xx does) and prints its
// URL on the first line of stdout, so the server's webhook connector has a channel to push to.
import http from 'node:http';

const server = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(204);
    response.end();
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log('http://127.0.0.1:' + server.address().port + '/stock');
});
