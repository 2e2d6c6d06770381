import { Body, Controller, Headers, HttpCode, Inject, Post, Res, UseGuards } from '@nestjs/common';
import type { Payload } from '@temporalio/common';
import type { FastifyReply } from 'fastify';
import { invalidRequest, JsonLogger, type FieldProblem } from '@handoffs/service-kit/http';
import {
  isEncrypted,
  PayloadDecryptionError,
  PayloadEncryptionCodec,
  payloadsFromJson,
  payloadsToJson,
  type JsonPayload,
} from '@handoffs/temporal/codec';
import { CODEC_SERVER_SETTINGS, type CodecServerSettings } from './settings';
import { CurrentSupervisor, SupervisorGuard, type Supervisor } from './supervisor.guard';

const NAMESPACE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

type Operation = 'decode' | 'encode';

/**
 * Temporal's remote codec protocol, for supervisors only: `POST /decode` and `POST /encode` with
 * `{"payloads": [...]}` (proto3 JSON) and the namespace in `X-Namespace`. Each call is audited
 * with who, which namespace and how many payloads; never what they hold.
 */
@Controller()
@UseGuards(SupervisorGuard)
export class CodecController {
  private readonly codec: PayloadEncryptionCodec;

  constructor(
    @Inject(CODEC_SERVER_SETTINGS) settings: CodecServerSettings,
    private readonly logger: JsonLogger,
  ) {
    this.codec = new PayloadEncryptionCodec(settings.payloadKeys);
  }

  @Post('decode')
  @HttpCode(200)
  decode(
    @Body() body: unknown,
    @Headers('x-namespace') namespace: string | undefined,
    @CurrentSupervisor() supervisor: Supervisor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ payloads: JsonPayload[] }> {
    return this.convert('decode', body, namespace, supervisor, reply);
  }

  @Post('encode')
  @HttpCode(200)
  encode(
    @Body() body: unknown,
    @Headers('x-namespace') namespace: string | undefined,
    @CurrentSupervisor() supervisor: Supervisor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ payloads: JsonPayload[] }> {
    return this.convert('encode', body, namespace, supervisor, reply);
  }

  private async convert(
    operation: Operation,
    body: unknown,
    namespace: string | undefined,
    supervisor: Supervisor,
    reply: FastifyReply,
  ): Promise<{ payloads: JsonPayload[] }> {
    const { payloads, problems } = payloadsFromJson(body);
    if (namespace !== undefined && !NAMESPACE_PATTERN.test(namespace)) {
      problems.unshift({ field: 'X-Namespace', problems: ['X-Namespace must be a Temporal namespace name'] });
    }
    if (problems.length > 0) throw invalidRequest(problems);

    const converted = operation === 'encode' ? await this.codec.encode(payloads) : this.decodeEach(payloads);
    this.logger.entry('info', `${operation} for supervisor ${supervisor.id}`, 'Audit', {
      supervisor: supervisor.id,
      via: supervisor.via,
      operation,
      namespace: namespace ?? null,
      payloads: payloads.length,
    });
    // Decoded payloads hold personal data: no cache may keep them.
    void reply.header('cache-control', 'no-store');
    return payloadsToJson(converted);
  }

  /** Decrypts every payload, or names each one it cannot (by its key id, never its content). */
  private decodeEach(payloads: Payload[]): Payload[] {
    const problems: FieldProblem[] = [];
    const decoded = payloads.map((payload, index) => {
      try {
        return isEncrypted(payload) ? this.codec.decrypt(payload) : payload;
      } catch (error) {
        if (!(error instanceof PayloadDecryptionError)) throw error;
        problems.push({ field: `payloads[${index}]`, problems: [error.message] });
        return payload;
      }
    });
    if (problems.length > 0) throw invalidRequest(problems);
    return decoded;
  }
}
