import { api } from '../api/client.js';
import { useApi } from '../api/use-api.js';
import { svgDataUrl } from '../schema/diagram-url.js';
import { MigrationTable } from '../schema/MigrationTable.js';
import { LoadState } from './LoadState.js';

export function SchemaPage() {
  const { load } = useApi('/schema', (options) => api.schema.$get(undefined, options));
  return (
    <section>
      <h1>Schema</h1>
      <LoadState load={load} what="the schema">
        {({ diagram, migrations }) => (
          <>
            <h2>Migrations</h2>
            {migrations.pending.length > 0 && (
              <p role="alert">
                The database lacks {migrations.pending.length} migration(s): run `pnpm db:migrate`.
              </p>
            )}
            <MigrationTable status={migrations} />
            <p className="meta">
              {migrations.lastMigratedBy
                ? `Last migrated by @jam/db ${migrations.lastMigratedBy}`
                : 'No @jam/db version recorded a migration yet.'}
            </p>
            <h2>Diagram</h2>
            <figure className="diagram">
              <img src={svgDataUrl(diagram.svg)} alt="The Jam database schema" />
            </figure>
          </>
        )}
      </LoadState>
    </section>
  );
}
