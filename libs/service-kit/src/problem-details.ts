import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  type ValidationError,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';

export const PROBLEM_JSON = 'application/problem+json';

export interface FieldProblem {
  field: string;
  problems: string[];
}

/** RFC 9457 problem details, with `errors` naming each bad field. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

export function invalidRequest(errors: FieldProblem[]): BadRequestException {
  return new BadRequestException({
    title: 'The request is invalid',
    detail: `Check ${errors.map((e) => e.field).join(', ')}`,
    errors,
  });
}

export function problemOf(status: number, body: unknown): ProblemDetails {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : { detail: body };
  const { message, error, statusCode: _statusCode, ...rest } = fields;
  const title = (rest.title as string | undefined) ?? (error as string | undefined) ?? HttpStatus[status] ?? 'Error';
  return {
    type: 'about:blank',
    status,
    ...rest,
    title,
    detail: (rest.detail as string | undefined) ?? (Array.isArray(message) ? message.join('; ') : (message as string)),
  };
}

export function sendProblem(reply: FastifyReply, problem: ProblemDetails): void {
  void reply.status(problem.status).header('content-type', PROBLEM_JSON).send(problem);
}

/** Every error leaves as application/problem+json; a 5xx says nothing of its cause beyond the log. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof HttpException) {
      const { bearer, ...problem } = problemOf(exception.getStatus(), exception.getResponse());
      if (problem.status === HttpStatus.UNAUTHORIZED) {
        // RFC 6750: the scheme, and whether a token was sent and refused; nothing more about why.
        void reply.header('www-authenticate', bearer === 'invalid' ? 'Bearer realm="handoffs", error="invalid_token"' : 'Bearer realm="handoffs"');
      }
      sendProblem(reply, problem);
      return;
    }
    const status = (exception as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      sendProblem(reply, problemOf(status, { detail: (exception as Error).message }));
      return;
    }
    this.logger.error(`Unhandled ${(exception as Error)?.name ?? 'error'}: ${(exception as Error)?.stack?.split('\n')[1]?.trim() ?? ''}`);
    sendProblem(reply, { type: 'about:blank', title: 'Internal Server Error', status: 500 });
  }
}
