// Light/dark theme: the choice is kept in localStorage; index.html applies it before the first paint.
export type Theme = 'light' | 'dark';

const KEY = 'eesee-theme';

export function currentTheme(): Theme {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

export function setTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // Private windows may refuse storage; the theme then lasts for this page only.
  }
}
