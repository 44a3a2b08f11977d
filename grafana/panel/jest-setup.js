// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';
// uPlot draws on a canvas: a recording 2D context instead of the scaffold's empty stub.
import 'jest-canvas-mock';

// jsdom has no ResizeObserver; Grafana's tooltip plugin observes its own size.
if (typeof global.ResizeObserver === 'undefined') {
  global.ResizeObserver = class ResizeObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}
