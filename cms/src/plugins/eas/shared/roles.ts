/** Admin role created on first boot: exactly the EAS permissions plus read-only Content-Manager access to records/forms. */
export const EDITOR_ROLE = { name: 'EAS editor', description: 'Reviews and exports EAS records. Created by the EAS plugin.' } as const;
