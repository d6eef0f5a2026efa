import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AlertsProvider } from './alerts-live';
import { App } from './App';
import { createClient } from './client';
import { ClientContext } from './hooks';
import { InventoryProvider } from './inventory';
import './styles.css';
import './alerts.css';

const client = createClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ClientContext.Provider value={client}>
      <InventoryProvider>
        <AlertsProvider>
          <App />
        </AlertsProvider>
      </InventoryProvider>
    </ClientContext.Provider>
  </StrictMode>,
);
