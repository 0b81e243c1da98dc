import '../boot';
import '@mantine/core/styles.css';
import './portal.css';
import { MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { cssVariablesResolver, portalTheme } from './theme';

// The patient portal's entry (renderer/portal.html). Mantine puts its CSS variables in a <style>
// element (allowed by the portal's CSP: style-src 'unsafe-inline'); no script is ever inline.
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={portalTheme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light" forceColorScheme="light">
      <App />
    </MantineProvider>
  </StrictMode>,
);
