/**
 * Secrets that travel in URL paths (HaloPSA cannot sign its webhooks, so its URL carries a
 * secret segment) are replaced before a path is logged or echoed.
 */
const SECRET_SEGMENTS: { pattern: RegExp; secretAt: number }[] = [{ pattern: /^\/webhooks\/psa\/[^/]+\/[^/]+/, secretAt: 4 }];

export const REDACTED = '[redacted]';

export function redactPath(path: string): string {
  for (const { pattern, secretAt } of SECRET_SEGMENTS) {
    if (!pattern.test(path)) continue;
    const parts = path.split('/');
    if (parts[secretAt] !== undefined && parts[secretAt] !== '') parts[secretAt] = REDACTED;
    return parts.join('/');
  }
  return path;
}
