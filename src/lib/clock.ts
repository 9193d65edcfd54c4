/**
 * The server's clock, as seen from here: every response that carries `serverTime` updates the offset,
 * so relative times and countdowns are right even on a device whose clock is wrong.
 */
let offsetMs = 0;

/** Call with the server's time and when the request started and ended (local clock). */
export function observeServerTime(serverIso: string, sentAt: number, receivedAt: number): void {
  const server = Date.parse(serverIso);
  if (Number.isNaN(server)) return;
  offsetMs = server - (sentAt + receivedAt) / 2;
}

export function serverNow(): number {
  return Date.now() + offsetMs;
}
