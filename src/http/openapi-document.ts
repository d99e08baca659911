import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { securitySchemes, withRouteSecurity } from '../access/http/openapi-security.ts';
import { withOperationIds } from './openapi-operation-ids.ts';
import { withErrorAnswers } from './openapi-error-answers.ts';

/**
 * What /openapi.json says about the API as a whole. The server is the origin that served the
 * description ("/"), since one ledger answers at whatever address its operator gives it; a
 * client generator takes the base URL as a parameter.
 */
export const openApiDocument: FastifyDynamicSwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: {
      title: 'Assurance Ledger',
      version: '0.1.0',
      description:
        'An event-sourced audit ledger for the recommendations and actions of NHS crisis-care action plans, ' +
        'investigations and inquiries. Every change is an immutable event.',
      // No licence has been chosen for this code yet, so none is granted: say so rather than leave it blank.
      license: { name: 'Proprietary: all rights reserved', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/', description: 'This ledger: the address that served this description' }],
    components: { securitySchemes },
  },
  transform: withOperationIds(withRouteSecurity(jsonSchemaTransform)),
  transformObject: withErrorAnswers,
};
