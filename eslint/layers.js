// The layer rules of src/ (docs/architecture.md): no import cycles (type-only imports included), the core never
// imports the Slack side, and a Slack feature folder never imports another feature. Kept apart from
// eslint.config.js so that test/lint/layers.test.ts can run exactly these rules on small fixture trees.
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tsParser from '@typescript-eslint/parser';
import { noImportCycle } from './no-import-cycle.js';

/** The Slack feature folders: each holds its command, buttons, forms, views, blocks and strings. */
export const FEATURES = ['lookup', 'edit-card', 'qchat', 'moderation', 'audit', 'home', 'workflow-steps', 'undo', 'rollback', 'approval'];

/** What a feature folder may import from src/slack/ besides itself. */
export const SHARED = ['interaction', 'ui', 'i18n', 'help', 'ids.ts'];

/** The process layer: it starts and wires everything, so it may import the Slack side. */
const WIRING = ['main.ts', 'compose.ts', 'local-mode.ts', 'startup'];

/**
 * @param {string} root The repository root (rule paths are relative to it).
 * @returns {import('eslint').Linter.Config[]}
 */
export function layerRules(root) {
  const features = FEATURES.map((feature) => ({
    target: `./src/slack/${feature}`,
    from: './src/slack',
    except: [...SHARED, feature].map((path) => `./${path}`),
    message: `A feature folder imports only interaction/, ui/, i18n/, help/, ids.ts and the core, never another feature (${feature}/).`,
  }));
  const core = {
    target: './src',
    from: './src/slack',
    except: [],
    message:
      'The core is Slack-free: only src/slack/ and the process layer (main.ts, compose.ts, local-mode.ts, startup/) import src/slack/.',
  };
  return [
    {
      files: ['src/**/*.ts'],
      languageOptions: { parser: tsParser },
      plugins: { 'import-x': importX, layers: { rules: { 'no-import-cycle': noImportCycle } } },
      settings: {
        'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'], extensionAlias: { '.js': ['.ts', '.js'] } })],
      },
      rules: {
        // Type-only imports count (import-x's no-cycle skips them): see no-import-cycle.js.
        'layers/no-import-cycle': 'error',
        'import-x/no-restricted-paths': ['error', { basePath: root, zones: features }],
      },
    },
    {
      files: ['src/**/*.ts'],
      ignores: ['src/slack/**', ...WIRING.map((path) => (path.endsWith('.ts') ? `src/${path}` : `src/${path}/**`))],
      rules: { 'import-x/no-restricted-paths': ['error', { basePath: root, zones: [core] }] },
    },
  ];
}
