import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createClient } from './client';
import { ClientContext } from './hooks';
import { InventoryProvider } from './inventory';
import './styles.css';

const client = createClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ClientContext.Provider value={client}>
      <InventoryProvider>
        <App />
      </InventoryProvider>
    </ClientContext.Provider>
  </StrictMode>,
);
