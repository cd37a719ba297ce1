import { once } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ChatChunk } from '../providers/types.ts';
import { toGatewayError } from './app.ts';
import type { GatewayError } from './errors.ts';

export interface SseFormat {
  /** Written before the first chunk (e.g. Anthropic's message_start). */
  open(first: ChatChunk): string;
  chunk(chunk: ChatChunk, first: boolean): string;
  /** Written after the last chunk when the stream completed. */
  close(last: ChatChunk | undefined): string;
  error(err: GatewayError): string;
}

/**
 * Streams chunks as server-sent events. The first chunk is awaited before the response is
 * committed, so anything that fails before output still gets a normal HTTP error status.
 * After that, a failure ends the stream with a well-formed error event.
 */
export async function streamSse(
  req: FastifyRequest,
  reply: FastifyReply,
  chunks: AsyncGenerator<ChatChunk>,
  format: SseFormat,
): Promise<void> {
  const first = await chunks.next();
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': req.ctx.id,
  });
  const write = async (data: string): Promise<void> => {
    if (!data || res.destroyed) return;
    if (!res.write(data)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  };
  let status = 200;
  let last: ChatChunk | undefined;
  try {
    if (!first.done) {
      await write(format.open(first.value));
      await write(format.chunk(first.value, true));
      last = first.value;
      for (;;) {
        if (res.destroyed) {
          // The client went away: stop pulling, which cancels the upstream call.
          await chunks.return(undefined);
          req.ctx.errorCode = 'client_disconnected';
          status = 499;
          break;
        }
        const next = await chunks.next();
        if (next.done) break;
        await write(format.chunk(next.value, false));
        last = next.value;
      }
    }
    if (status === 200) await write(format.close(last));
  } catch (err) {
    const ge = toGatewayError(err);
    if (res.destroyed || req.ctx.signal.aborted) {
      req.ctx.errorCode = 'client_disconnected';
      status = 499;
    } else {
      req.ctx.errorCode = ge.code;
      status = ge.status;
      await write(format.error(ge));
    }
  } finally {
    if (!res.destroyed) res.end();
    req.server.finishRequest(req.ctx, status);
  }
}
