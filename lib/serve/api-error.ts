/** An HTTP error in OpenAI's shape: `{"error": {"message", "type", "param", "code"}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null = null,
    readonly param: string | null = null,
    /** Extra fields inside `error` (llama-server puts n_prompt_tokens / n_ctx there). */
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  get type(): string {
    if (this.status === 401) return "authentication_error";
    if (this.status === 404) return "not_found_error";
    return this.status >= 500 ? "server_error" : "invalid_request_error";
  }

  body() {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code, ...this.extra } };
  }

  toResponse(): Response {
    return Response.json(this.body(), { status: this.status, headers: this.headers });
  }
}
