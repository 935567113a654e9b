// Where a call from the UI enters the core: the method name is checked, the arguments validated with the
// contract's zod schemas, and errors turned into messages the UI can show.
import { z } from 'zod'
import { ARGUMENT_SCHEMAS, METHOD_NAMES, type ApiErrorPayload, type GanApi, type MethodName } from '../../shared/api'

export class ApiCallError extends Error {
  constructor(readonly payload: ApiErrorPayload) {
    super(payload.message)
    this.name = 'ApiCallError'
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length > 1 ? `${i.path.slice(1).join('.')}: ${i.message}` : i.message)).join('; ')
}

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && (METHOD_NAMES as string[]).includes(name)
}

/** Calls `method` on the service with validated arguments; throws ApiCallError with a user-facing message. */
export async function dispatch(service: GanApi, method: unknown, args: unknown): Promise<unknown> {
  if (!isMethodName(method)) throw new ApiCallError({ code: 'invalid-argument', message: `unknown method ${JSON.stringify(method)}` })
  const parsed = ARGUMENT_SCHEMAS[method].safeParse(Array.isArray(args) ? args : [])
  if (!parsed.success) {
    throw new ApiCallError({ code: 'invalid-argument', message: `${method}: ${describeIssues(parsed.error)}` })
  }
  try {
    const call = service[method] as (...a: unknown[]) => Promise<unknown>
    return await call.apply(service, parsed.data as unknown[])
  } catch (error) {
    if (error instanceof ApiCallError) throw error
    throw new ApiCallError({ code: 'failed', message: error instanceof Error ? error.message : String(error) })
  }
}
