import { Controller, Get } from '@nestjs/common';

@Controller('health')
export class HealthController {
  /** Up when it answers: the codec server needs nothing but its configuration, checked at start. */
  @Get()
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
