import path from 'node:path';
import type { FastifyInstance } from 'fastify';

/**
 * nhsuk-frontend's CSS, JavaScript and images straight from the installed package, and this
 * service's own few files: nothing from a CDN. Open to anyone (the sign-in page needs them).
 * Names carry no secrets; send() refuses paths that climb out of the folder.
 */
export const assetRoutes = (nhsukDist: string) => async (app: FastifyInstance) => {
  const nhsuk = path.join(nhsukDist, 'nhsuk');
  const cache = 'public, max-age=3600';
  app.get('/assets/nhsuk/*', { config: { access: 'public' }, schema: { hide: true } }, (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    return reply.header('cache-control', cache).sendFile(file, nhsuk);
  });
  app.get('/assets/app/*', { config: { access: 'public' }, schema: { hide: true } }, (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    return reply.header('cache-control', cache).sendFile(file);
  });
};
