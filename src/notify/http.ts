import { VigilError } from '../model/errors.ts';

/** POSTs and fails on anything but 2xx; the error never carries the URL (it may hold a token). */
export async function postOrThrow(
  url: string,
  init: { method?: string; body: string; headers: Record<string, string>; timeoutMs: number },
): Promise<{ status: number }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method ?? 'POST',
      body: init.body,
      headers: init.headers,
      signal: AbortSignal.timeout(init.timeoutMs),
      redirect: 'error',
    });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why =
      err.name === 'TimeoutError'
        ? `timeout after ${init.timeoutMs} ms`
        : (err.cause?.code ?? err.cause?.message ?? err.message);
    throw new VigilError('VIGIL_NOTIFY_FAILED', `request to ${new URL(url).host} failed: ${why}`);
  }
  await res.arrayBuffer().catch(() => undefined);
  if (res.status < 200 || res.status >= 300)
    throw Object.assign(new VigilError('VIGIL_NOTIFY_FAILED', `${new URL(url).host} answered HTTP ${res.status}`), {
      httpStatus: res.status,
    });
  return { status: res.status };
}

export { maskUrl } from '../model/redact.ts';
