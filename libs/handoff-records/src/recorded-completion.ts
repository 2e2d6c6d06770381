import type { DataSource } from 'typeorm';
import { InboxTask } from './inbox-task.entity';

/**
 * After a workflow refused a second completion of a task, the winning one is recorded by its own
 * request or by the workflow's closing step moments later: waits (briefly) for the closed task.
 */
export async function recordedCompletion(dataSource: DataSource, taskId: string, attempts = 20): Promise<InboxTask | null> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const task = await dataSource.getRepository(InboxTask).findOneBy({ id: taskId });
    if (task && task.state !== 'open') return task;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}
