/**
 * Starts the fake model server for manual demos:
 *   npx tsx test/support/fakeModelServerCli.ts --port 1234 [--host 127.0.0.1] [--api-key KEY]
 * Then point an endpoint at the printed URL (OpenAI-compatible: <url>/v1, Ollama: <url>).
 */
import { FakeModelServer } from './fakeModelServer';

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index !== -1) return args[index + 1];
  const prefixed = args.find((a) => a.startsWith(`${name}=`));
  return prefixed?.slice(name.length + 1);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const portText = option(args, '--port');
  const port = portText === undefined ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Invalid --port: ${portText ?? ''}`);
    process.exit(2);
  }
  const host = option(args, '--host');
  const server = await FakeModelServer.start(host === undefined ? { port } : { port, host });
  server.requiredApiKey = option(args, '--api-key');

  console.log(server.url);
  console.log(`  OpenAI-compatible: ${server.openAiBaseUrl}  models: ${server.openAiModels.map((m) => m.id).join(', ')}`);
  console.log(`  Ollama native:     ${server.url}/api  models: ${server.ollamaModels.map((m) => m.name).join(', ')}`);
  if (server.requiredApiKey !== undefined) console.log('  /v1/* requires the API key given with --api-key');
  console.log('Press Ctrl+C to stop.');

  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
