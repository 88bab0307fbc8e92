// Which fields a validation error names: shared by the checks that require a 422 to name what failed.

/** Field names that a FastAPI/Pydantic-style 422 body reports, from `detail[].loc`. */
export function reportedFields(body: unknown): Set<string> {
  const detail = (body as { detail?: unknown } | undefined)?.detail
  const fields = new Set<string>()
  if (Array.isArray(detail)) {
    for (const error of detail) {
      for (const part of (error as { loc?: unknown[] })?.loc ?? []) if (typeof part === 'string') fields.add(part)
    }
  } else if (body && typeof body === 'object') {
    // Other frameworks: {"errors": {"field": [...]}}, [{"field": ...}], Ajv's instancePath and missingProperty
    const text = JSON.stringify(body)
    for (const match of text.matchAll(/"(?:field|name|path|pointer|param|instancePath|missingProperty|additionalProperty)"\s*:\s*"([^"]+)"/g)) fields.add(match[1]!.replace(/^.*[/.]/, ''))
    const errors = (body as { errors?: unknown }).errors
    if (errors && typeof errors === 'object' && !Array.isArray(errors)) for (const key of Object.keys(errors)) fields.add(key)
  }
  return fields
}
