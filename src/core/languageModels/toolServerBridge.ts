/**
 * The process VS Code starts for Patchbay's tool server (bundled as dist/toolServerBridge.js):
 * it connects to the server in Patchbay's extension host on 127.0.0.1, sends the token of that
 * server's start, then carries MCP's messages both ways between its stdio and the connection.
 * The port and token come in the environment VS Code starts it with (toolServerLaunch.ts).
 */
import net from 'node:net';
import { PORT_VARIABLE, TOKEN_VARIABLE } from './toolServerLaunch';

function bridge(): void {
  const port = Number(process.env[PORT_VARIABLE]);
  const token = process.env[TOKEN_VARIABLE];
  if (!Number.isInteger(port) || port <= 0 || !token) {
    process.stderr.write(`Patchbay's tool bridge needs ${PORT_VARIABLE} and ${TOKEN_VARIABLE}; VS Code sets them when Patchbay offers its tools.\n`);
    process.exit(2);
  }
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  socket.on('connect', () => {
    socket.write(`${token}\n`);
    process.stdin.pipe(socket);
    socket.pipe(process.stdout);
  });
  socket.on('error', (error) => {
    process.stderr.write(`Patchbay's tool server cannot be reached on 127.0.0.1:${port} (${error.message}). Is the VS Code window with Patchbay still open? Restart this server from MCP: List Servers.\n`);
    process.exit(1);
  });
  socket.on('close', () => process.exit(0));
  process.stdin.on('end', () => socket.end());
}

bridge();
