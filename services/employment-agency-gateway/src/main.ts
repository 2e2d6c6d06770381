import 'reflect-metadata';
import { runService } from '@handoffs/service-kit';
import { AppModule } from './app.module';

void runService('employment-agency-gateway', (config) => AppModule.forRoot(config));
