// Wait until this machine's Parley process answers GET /readyz with 200 (its database, and
// Redis in cluster mode, answer), for up to WAIT_READY_SECONDS (60). Used by the systemd
// units as ExecStartPost, so `systemctl start/restart` returns once the process can serve:
// a rolling restart (`systemctl restart parley@8081 && systemctl restart parley@8082`) never
// has two processes down at once. Exit code 1 when it did not become ready.
const host = ['', '0.0.0.0', '::'].includes(process.env.HOST ?? '')
  ? '127.0.0.1'
  : process.env.HOST;
const url = `http://${host.includes(':') ? `[${host}]` : host}:${process.env.PORT || 8080}/readyz`;
const deadline = Date.now() + Number(process.env.WAIT_READY_SECONDS || 60) * 1000;
let last = 'no answer';
while (Date.now() < deadline) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (res.ok) process.exit(0);
    last = `${res.status} ${await res.text()}`;
  } catch (e) {
    last = String(e);
  }
  await new Promise((r) => setTimeout(r, 500));
}
console.error(`Parley did not become ready at ${url}: ${last}`);
process.exit(1);
