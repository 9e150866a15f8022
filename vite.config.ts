import { fileURLToPath } from 'node:url';
import { UserConfigFn } from 'vite';
import { overrideVaadinConfig } from './vite.generated';

// The offline start page (served by the service worker when the app is opened with no network) is a second entry:
// the upload component without Vaadin, precached with the rest of the build.
const customConfig: UserConfigFn = () => ({
  build: {
    rolldownOptions: {
      input: {
        'offline-app': fileURLToPath(new URL('./src/main/frontend/offline-app.ts', import.meta.url)),
      },
    },
  },
});

export default overrideVaadinConfig(customConfig);
