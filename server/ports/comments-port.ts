/** A comment of an instance, on one of its tasks (`taskId`) or on the instance; kept after the task ends. */
export interface CommentRecord {
  id: string;
  taskId?: string;
  instanceId: string;
  author: string;
  text: string;
  at: string;
}

/** Instance and task comments (implemented in `server/persistence/comment-store.ts`). */
export interface CommentsPort {
  add(comment: Omit<CommentRecord, 'id' | 'at'>, now?: Date): Promise<CommentRecord>;
  /** Every comment of an instance and its tasks, oldest first (they outlive the tasks). */
  forInstance(instanceId: string): Promise<CommentRecord[]>;
  /** The comments on one task (`<instanceId>:<executionId>`), oldest first. */
  forTask(taskId: string): Promise<CommentRecord[]>;
}
