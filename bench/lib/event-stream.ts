/**
 * The user-level live channel a signed-in tab keeps open: `GET /api/events` (Server-Sent
 * Events: conversation summaries, presence). The benchmark opens one per user, as the
 * client does, so that the server does the per-message work a real deployment does.
 */
import { request, type ClientRequest } from 'node:http';

export class EventStream {
  events = 0;
  private req: ClientRequest | null = null;

  open(origin: string, cookie: string, timeoutMs = 30_000): Promise<void> {
    const url = new URL('/api/events', origin);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        { agent: false, headers: { Cookie: cookie, Origin: origin, Accept: 'text/event-stream' } },
        (res) => {
          if (res.statusCode !== 200) {
            reject(new Error(`GET /api/events: ${res.statusCode}`));
            res.resume();
            return;
          }
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            for (let i = chunk.indexOf('data:'); i >= 0; i = chunk.indexOf('data:', i + 5))
              this.events++;
          });
          res.on('error', () => undefined);
          resolve();
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(new Error('GET /api/events timed out')));
      req.on('error', reject);
      req.end();
      this.req = req;
    });
  }

  close(): void {
    this.req?.destroy();
    this.req = null;
  }
}
