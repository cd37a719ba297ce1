// Starts the example backend: PORTCULLIS_API_KEY (scopes execute,tokens), PORTCULLIS_BASE_URL, PORT.

import type { AddressInfo } from 'node:net';
import { Portcullis } from '@portcullis/sdk';
import { createApp } from './app.ts';

const client = new Portcullis({
  apiKey: process.env['PORTCULLIS_API_KEY'],
  baseUrl: process.env['PORTCULLIS_BASE_URL'] ?? 'http://127.0.0.1:8787',
});
const port = Number(process.env['PORT'] ?? 3000);
const server = createApp({ client });
server.listen(port, '127.0.0.1', () => {
  const { port: bound } = server.address() as AddressInfo;
  console.log(`analyze-app on http://127.0.0.1:${bound} (gateway ${client.baseUrl})`);
});
