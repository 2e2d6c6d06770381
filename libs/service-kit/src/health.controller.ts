import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { TemporalWorkerHost } from '@handoffs/temporal';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  database: 'up' | 'down';
  temporal: 'up' | 'down';
  worker: string;
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly temporal: TemporalWorkerHost,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'Database and Temporal reachable, worker running' })
  @ApiServiceUnavailableResponse({ description: 'Something this service needs is not there; the body says what' })
  async health(@Res() reply: FastifyReply): Promise<void> {
    const [database, temporal] = await Promise.all([this.databaseUp(), this.temporal.temporalReachable()]);
    const worker = this.temporal.workerState();
    const report: HealthReport = {
      status: database && temporal && worker === 'RUNNING' ? 'ok' : 'unavailable',
      database: database ? 'up' : 'down',
      temporal: temporal ? 'up' : 'down',
      worker,
    };
    void reply.status(report.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).send(report);
  }

  private async databaseUp(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }
}
