import { z } from 'zod';
import type { RouteAccess } from '../api/http/route-access.ts';

/**
 * The six roles (`metrics` is a monitoring system's, not a person's). Each route's access level says which roles may call it at all;
 * for commands, which plan and which action is then decided against the plan
 * (see authorise-command.ts).
 */
export const Role = z.enum(['viewer', 'auditor', 'contributor', 'plan-manager', 'admin', 'metrics']);
export type Role = z.infer<typeof Role>;
export const roles = Role.options;

/**
 * Who may call a route of each access level. Admins hold keys and configuration only:
 * separation of duties, so the person who issues credentials cannot also write or read
 * the record with them. Nobody, admin included, has a route that edits history. The metrics
 * role reads the service's own figures and nothing of the record, and no one else reads them.
 */
const allowedRoles: Record<Exclude<RouteAccess, 'public'>, readonly Role[]> = {
  projection: ['viewer', 'auditor', 'contributor', 'plan-manager'],
  audit: ['auditor'],
  command: ['contributor', 'plan-manager'],
  admin: ['admin'],
  metrics: ['metrics'],
};

export const roleMayCall = (role: Role, access: RouteAccess): boolean => access === 'public' || allowedRoles[access].includes(role);

export const rolesFor = (access: RouteAccess): readonly Role[] => (access === 'public' ? roles : allowedRoles[access]);
