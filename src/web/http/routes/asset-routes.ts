import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

/**
 * nhsuk-frontend's built CSS loads the Frutiger web font from the NHS's own CDN (the font is
 * licensed for NHS services and not in the package). This service sends nothing off-site, so
 * the stylesheet is served without those @font-face rules: text falls back to Arial, as the
 * design system's own font stack intends when Frutiger is not there.
 */
export const stylesheetWithoutRemoteFonts = (css: string) => css.replace(/@font-face\{[^}]*https?:\/\/[^}]*\}/g, '');

/**
 * nhsuk-frontend's CSS, JavaScript and images straight from the installed package, and this
 * service's own few files: nothing from a CDN. Open to anyone (the sign-in page needs them).
 * Names carry no secrets; send() refuses paths that climb out of the folder.
 */
export const assetRoutes = (nhsukDist: string) => async (app: FastifyInstance) => {
  const nhsuk = path.join(nhsukDist, 'nhsuk');
  const cache = 'public, max-age=3600';
  const stylesheet = stylesheetWithoutRemoteFonts(fs.readFileSync(path.join(nhsuk, 'nhsuk-frontend.min.css'), 'utf8'));
  app.get('/assets/nhsuk-frontend.css', { config: { access: 'public' }, schema: { hide: true } }, (_request, reply) =>
    reply.header('cache-control', cache).type('text/css; charset=utf-8').send(stylesheet),
  );
  app.get('/assets/nhsuk/*', { config: { access: 'public' }, schema: { hide: true } }, (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    return reply.header('cache-control', cache).sendFile(file, nhsuk);
  });
  app.get('/assets/app/*', { config: { access: 'public' }, schema: { hide: true } }, (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    return reply.header('cache-control', cache).sendFile(file);
  });
};
