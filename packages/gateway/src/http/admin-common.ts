import type { FastifyRequest } from 'fastify';
import { z } from 'zod';

// Small pieces every admin route file shares: who is acting, in which tenant, with which permissions.

export const actorOf = (req: FastifyRequest): string =>
  req.ctx.key?.userId ? `user:${req.ctx.key.userId}` : `key:${req.ctx.key!.id}`;
export const tenantOf = (req: FastifyRequest): string => req.ctx.key!.tenantId;
/** Set by authorizeRoute for every admin route. */
export const permissionsOf = (req: FastifyRequest): readonly string[] => req.ctx.permissions ?? [];

export const TENANT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const idParam = z.object({ id: z.string().min(1).max(200) });
export const nameParam = z.object({ name: z.string().min(1).max(200) });

/** Records an admin change in the audit log (wired by the gateway; absent in tests that build the app alone). */
export type AdminAudit = (e: {
  req: FastifyRequest;
  action: string;
  target?: string;
  detail?: Record<string, unknown>;
  actor?: string;
}) => Promise<void>;
