/**
 * The connectors' failures (pretix, pretalx): a stable code, a message an organizer can act on,
 * details without the token. `transient` marks what a later try may fix (the server down, a 5xx,
 * a timeout); a sync records it and the next one (scheduled, or a webhook) tries again.
 */
import { CodedError } from '../shared/errors.js';

export const CONNECTOR_CODES = [
  /** A connection setting is refused (base URL, slugs, token shape). */
  'CONNECTOR_INVALID',
  /** The server refused the API token (401/403). */
  'CONNECTOR_UNAUTHORIZED',
  /** The organizer, event or record does not exist on the server. */
  'CONNECTOR_NOT_FOUND',
  /** Not reachable, a timeout, 429 or 5xx. */
  'CONNECTOR_UNREACHABLE',
  /** An answer that is not what the API documents. */
  'CONNECTOR_BAD_RESPONSE',
  /** An answer or list beyond the bounds (CONNECTOR_LIMITS). */
  'CONNECTOR_LIMIT',
  /** The event has no connection of that system (connect it first). */
  'CONNECTOR_NOT_CONNECTED',
] as const;

export type ConnectorCode = (typeof CONNECTOR_CODES)[number];

export class ConnectorError extends CodedError<ConnectorCode> {
  override name = 'ConnectorError' as const;
  readonly transient: boolean;

  constructor(
    code: ConnectorCode,
    message: string,
    details: Record<string, unknown> = {},
    options: { transient?: boolean; cause?: unknown } = {},
  ) {
    super(code, message, details, options.cause === undefined ? undefined : { cause: options.cause });
    this.transient = options.transient === true;
  }
}
