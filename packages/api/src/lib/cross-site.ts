import { AppError } from "./errors";

/** Methods that never change anything: a cross-site GET can read nothing (no CORS) and write nothing. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type CrossSiteOptions = {
  /** The public address of the app (WEFT_PUBLIC_URL), when it sits behind a proxy under another name. */
  publicUrl?: string;
};

/**
 * Refuses a state-changing request a browser sent from another site. Cookies (SameSite=Lax) are not
 * enough: a same-site page or an old browser could still ride the session, so writes must also come
 * from our own origin, read from `Sec-Fetch-Site` or, where that is absent, `Origin`.
 *
 * Requests with `Authorization: Bearer` are not cookie-authenticated (API keys, Clerk tokens, runners)
 * and pass, as do requests with neither header (curl and other non-browser clients carry no ambient
 * cookies). Webhooks are exempted by the caller.
 */
export function crossSiteRefusal(request: Request, options: CrossSiteOptions = {}): AppError | null {
  if (SAFE_METHODS.has(request.method)) return null;
  if (/^bearer\s+\S/i.test(request.headers.get("authorization") ?? "")) return null;
  const site = request.headers.get("sec-fetch-site");
  if (site !== null) {
    // `none`: the user started the request themselves (address bar, bookmark).
    if (site === "same-origin" || site === "none") return null;
    return refusal();
  }
  const origin = request.headers.get("origin");
  if (origin === null) return null;
  return allowedOrigins(request, options).has(origin) ? null : refusal();
}

function allowedOrigins(request: Request, options: CrossSiteOptions): Set<string> {
  const allowed = new Set<string>([new URL(request.url).origin]);
  if (options.publicUrl) allowed.add(new URL(options.publicUrl).origin);
  else {
    // Without a configured public URL, the host the browser addressed counts, in either scheme (a TLS proxy).
    const host = request.headers.get("host");
    if (host) for (const scheme of ["http", "https"]) allowed.add(`${scheme}://${host}`);
  }
  return allowed;
}

const refusal = () =>
  new AppError("CROSS_SITE_REQUEST", "Cross-site request refused: this change must come from the Weft app itself (or use an API key)");
