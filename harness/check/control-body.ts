import type { RecordedResponse } from '../model/check-result.ts'
import type { CheckContext } from './define-check.ts'

/** The whole body of `path` without any fault: what a faulted response is compared with. */
export async function fetchControlBody(context: CheckContext, path: string): Promise<RecordedResponse> {
  const control = await context.send({ path, label: 'control: the whole body, no fault' })
  const response = control.response
  if (!response || response.status !== 200 || response.bodyTruncated || control.failure) {
    throw new Error(`the control request for ${path} did not return a whole 200 body (${response?.status ?? control.failure?.code})`)
  }
  return response
}
