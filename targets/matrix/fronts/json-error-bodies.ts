/**
 * The bodies a front with `errorPages: 'json'` answers with: the shape the apps
 * use for their own errors (FastAPI's `{"detail": …}`), with the status's
 * reason phrase as Python's http.HTTPStatus and Go's http.StatusText spell it.
 * A look-alike on purpose: attribution has to tell the front's answer from the
 * app's by something other than the body's shape.
 */
export const JSON_ERROR_PHRASES = {
  400: 'Bad Request',
  408: 'Request Timeout',
  413: 'Request Entity Too Large',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
} as const

export type FrontErrorStatus = keyof typeof JSON_ERROR_PHRASES

export const JSON_ERROR_CONTENT_TYPE = 'application/json'

export function jsonErrorBody(status: FrontErrorStatus): string {
  return JSON.stringify({ detail: JSON_ERROR_PHRASES[status] })
}

/** Every status a front may answer itself, in ascending order. */
export const FRONT_ERROR_STATUSES = Object.keys(JSON_ERROR_PHRASES).map(Number) as FrontErrorStatus[]
