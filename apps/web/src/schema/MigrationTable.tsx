import type { MigrationStatusView } from '../api/responses.js';
import { migrationRows } from './migration-rows.js';

export function MigrationTable({ status }: { status: MigrationStatusView }) {
  return (
    <table className="migrations">
      <caption>
        {status.applied.length} applied, {status.pending.length} pending
      </caption>
      <thead>
        <tr>
          <th scope="col">Migration</th>
          <th scope="col">Applied at</th>
        </tr>
      </thead>
      <tbody>
        {migrationRows(status).map((row) => (
          <tr key={row.tag} className={row.state}>
            <td>
              <code>{row.tag}</code>
              {row.state === 'pending' && <span className="badge">pending</span>}
            </td>
            <td>{row.appliedAt}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
