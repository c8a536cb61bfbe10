/**
 * The monitoring dashboard: plain ES modules and CSS from public/, served as
 * they are (no build step). The page asks for an admin token once, keeps it in
 * the browser, and reads everything through the API.
 */
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

export const dashboardDir = fileURLToPath(new URL('./public/', import.meta.url));

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function dashboardRouter(): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.set(SECURITY_HEADERS);
    next();
  });
  router.use(express.static(dashboardDir, { index: 'index.html', maxAge: 0 }));
  return router;
}
