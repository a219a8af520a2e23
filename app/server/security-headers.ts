// Security headers for every response. Remix's inline hydration script runs
// under a per-request nonce (or, on a page shared by all visitors, its hash:
// shared-pages.ts); no other inline script is allowed.
import crypto from "node:crypto";
import type { RequestHandler } from "express";

const CSP_DIRECTIVES = [
  "default-src 'self'",
  "script-src SCRIPTS",
  // React Aria sets a few style attributes during server rendering.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** The CSP with these script sources beside 'self' (a nonce, or the hashes of a shared page's inline scripts). */
export function contentSecurityPolicy(scriptSources: string[]): string {
  return CSP_DIRECTIVES.replace("SCRIPTS", ["'self'", ...scriptSources].join(" "));
}

/** Every header but the CSP: the same for every response. */
export function fixedSecurityHeaders({ production }: { production: boolean }): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), geolocation=(), microphone=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    ...(production ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

export function securityHeaders({ production }: { production: boolean }): RequestHandler {
  // Everything but the nonce is the same for every response: joined once.
  const [before, after] = contentSecurityPolicy(["'nonce-NONCE'"]).split("NONCE");
  const fixed = Object.entries(fixedSecurityHeaders({ production }));
  // JSON answers carry no script: their CSP needs no nonce.
  const apiPolicy = contentSecurityPolicy([]);
  return (req, res, next) => {
    if (req.path.startsWith("/api/")) {
      res.locals.cspNonce = "";
      res.setHeader("Content-Security-Policy", apiPolicy);
      for (const [name, value] of fixed) res.setHeader(name, value);
      return next();
    }
    const nonce = crypto.randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    res.setHeader("Content-Security-Policy", `${before}${nonce}${after}`);
    for (const [name, value] of fixed) res.setHeader(name, value);
    next();
  };
}
