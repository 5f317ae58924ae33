import '@testing-library/jest-dom';

// recharts' ResponsiveContainer measures with ResizeObserver, which jsdom lacks.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};
