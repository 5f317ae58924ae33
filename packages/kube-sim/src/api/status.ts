import { StoreError } from '../store/types';

/** A Kubernetes `Status` failure body. */
export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  code: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: Array<{ reason: string; field: string; message: string }>;
  };
}

/** An HTTP-level failure (bad body, unknown path, unsupported media type); StoreError covers storage failures. */
export class ApiError extends StoreError {}

const REASON_BY_CODE: Record<number, string> = {
  400: 'BadRequest',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  500: 'InternalError',
};

/** `Pod "web" is invalid: spec.containers: Required value` -> name, field, message */
const INVALID_MESSAGE = /^\w+ "([^"]*)" is invalid: ([A-Za-z0-9_.[\]]+): ([\s\S]*)$/;

/**
 * kubectl prints an Invalid error from its causes ("The Pod "web" is invalid: <field>: <message>"),
 * so a 422 names the field; one without a field gets no details and prints as "The request is invalid".
 */
function detailsFor(error: StoreError, details: NonNullable<StatusBody['details']>): StatusBody['details'] {
  if (error.code !== 422) return details;
  const m = INVALID_MESSAGE.exec(error.message);
  if (!m) return undefined;
  return {
    ...details,
    name: m[1],
    causes: [{ reason: 'FieldValueInvalid', field: m[2], message: m[3] }],
  };
}

/** Turns any thrown value into the Status body and HTTP code the API server answers with. */
export function statusFor(error: unknown, details?: StatusBody['details']): StatusBody {
  if (error instanceof StoreError) {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: error.message,
      reason: error.reason || REASON_BY_CODE[error.code] || 'Unknown',
      code: error.code,
      ...(details ? { details: detailsFor(error, details) } : {}),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `kube-sim failed while handling the request: ${message}`,
    reason: 'InternalError',
    code: 500,
  };
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function notFound(message = 'the server could not find the requested resource'): ApiError {
  return new ApiError(404, 'NotFound', message);
}
