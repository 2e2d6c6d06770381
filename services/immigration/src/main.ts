import 'reflect-metadata';
import { runService } from '@handoffs/service-kit';
import { AppModule } from './app.module';

void runService('immigration', (config) => AppModule.forRoot(config));
