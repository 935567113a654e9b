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

/** "a run name cannot be empty" -> "A run name cannot be empty." */
export function asSentence(text: string): string {
  const trimmed = text.trim()
  if (trimmed === '') return trimmed
  const capital = trimmed[0].toUpperCase() + trimmed.slice(1)
  return /[.!?]$/.test(capital) ? capital : `${capital}.`
}

/** zod's own messages ("Invalid input: expected string, received null") say nothing of which value. */
const GENERIC_MESSAGE = /^(Invalid|Too (big|small)|Unrecognized key)/

/** Which value an issue is about, in words: its field's name, else its argument's position. */
function valueName(path: readonly PropertyKey[]): string {
  const field = [...path].reverse().find((p) => typeof p === 'string')
  return field !== undefined ? `the value of ${String(field)}` : `argument ${Number(path[0] ?? 0) + 1}`
}

/**
 * The user reads the schemas' own messages as sentences: no method names, no field paths (they go to the
 * detail, for a bug report). This is the one place a validation message is worded.
 */
function describeIssues(method: MethodName, error: z.ZodError): ApiErrorPayload {
  const message = error.issues
    .map((i) => asSentence(GENERIC_MESSAGE.test(i.message) ? `${valueName(i.path)} is not valid (${i.message.replace(/^Invalid input: /, '')})` : i.message))
    .join(' ')
  const detail = `${method}: ${error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ')}`
  return { code: 'invalid-argument', message, detail }
}

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && (METHOD_NAMES as string[]).includes(name)
}

/** An error's message, and the fix where it names one (a DataError's hint). */
function messageWithHint(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const hint = (error as { hint?: unknown }).hint
  return typeof hint === 'string' && hint !== '' ? `${error.message} ${hint}` : error.message
}

/** Calls `method` on the service with validated arguments; throws ApiCallError with a user-facing message. */
export async function dispatch(service: GanApi, method: unknown, args: unknown): Promise<unknown> {
  if (!isMethodName(method)) {
    throw new ApiCallError({ code: 'invalid-argument', message: 'This version of GAN Studio does not know that request; reload the page.', detail: `unknown method ${JSON.stringify(method)}` })
  }
  const parsed = ARGUMENT_SCHEMAS[method].safeParse(Array.isArray(args) ? args : [])
  if (!parsed.success) throw new ApiCallError(describeIssues(method, parsed.error))
  try {
    const call = service[method] as (...a: unknown[]) => Promise<unknown>
    return await call.apply(service, parsed.data as unknown[])
  } catch (error) {
    if (error instanceof ApiCallError) throw error
    throw new ApiCallError({ code: 'failed', message: messageWithHint(error) })
  }
}
