import type { Request, RequestHandler } from 'express';
import { AppError } from '../http/app-error.ts';

export const requireUser: RequestHandler = (req, _res, next) => {
  if (!req.user) throw new AppError('unauthenticated');
  next();
};

/** The caller's id on a route behind `requireUser`. */
export function userId(req: Request): number {
  if (!req.user) throw new AppError('unauthenticated');
  return req.user.id;
}
