import 'reflect-metadata';
import { runService } from '@handoffs/service-kit';
import { AppModule } from './app.module';

void runService('social-services', (config) => AppModule.forRoot(config));
