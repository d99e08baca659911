import { z } from 'zod';
import type { RouteAccess } from '../api/http/route-access.ts';

/**
 * The five roles. Each route's access level says which roles may call it at all;
 * for commands, which plan and which action is then decided against the plan
 * (see authorise-command.ts).
 */
export const Role = z.enum(['viewer', 'auditor', 'contributor', 'plan-manager', 'admin']);
export type Role = z.infer<typeof Role>;
export const roles = Role.options;

/**
 * Who may call a route of each access level. Admins hold keys and configuration only:
 * separation of duties, so the person who issues credentials cannot also write or read
 * the record with them. Nobody, admin included, has a route that edits history.
 */
const allowedRoles: Record<Exclude<RouteAccess, 'public'>, readonly Role[]> = {
  projection: ['viewer', 'auditor', 'contributor', 'plan-manager'],
  audit: ['auditor'],
  command: ['contributor', 'plan-manager'],
  admin: ['admin'],
};

export const roleMayCall = (role: Role, access: RouteAccess): boolean => access === 'public' || allowedRoles[access].includes(role);

export const rolesFor = (access: RouteAccess): readonly Role[] => (access === 'public' ? roles : allowedRoles[access]);
