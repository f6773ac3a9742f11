/**
 * Errors from the server, in one shape for forms: the message and, for validation errors, the field
 * it belongs to (`path`). Both tRPC (errorFormatter in packages/api adds `data.field`) and the REST
 * routes (`{ error: { code, message, path? } }`) produce it.
 */
export type ServerError = { message: string; path: string | null };

export function fromTRPCError(error: { message: string; data?: { field?: string | null } | null } | null | undefined): ServerError | null {
  if (!error) return null;
  return { message: error.message, path: error.data?.field ?? null };
}

/** The message for one field (without the `field: ` prefix validation messages carry), or null. */
export function fieldError(error: ServerError | null, field: string): string | null {
  if (!error || error.path !== field) return null;
  const prefix = `${field}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

/** The message when it belongs to none of the form's fields (shown at the top of the form). */
export function formError(error: ServerError | null, fields: readonly string[]): string | null {
  if (!error) return null;
  return error.path && fields.includes(error.path) ? null : error.message;
}
