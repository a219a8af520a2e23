// Security headers for every response. Remix's inline hydration script runs
// under a per-request nonce; no other inline script is allowed.
import crypto from "node:crypto";
import type { RequestHandler } from "express";

export function securityHeaders({ production }: { production: boolean }): RequestHandler {
  // Everything but the nonce is the same for every response: joined once.
  const [before, after] = [
    "default-src 'self'",
    "script-src 'self' 'nonce-NONCE'",
    // React Aria sets a few style attributes during server rendering.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ]
    .join("; ")
    .split("NONCE");
  return (_req, res, next) => {
    const nonce = crypto.randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    res.setHeader("Content-Security-Policy", `${before}${nonce}${after}`);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(self), geolocation=(), microphone=()");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    if (production) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    next();
  };
}
