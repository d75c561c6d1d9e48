// The activation sheet's 打印 button (a file, not inline code: the Content-Security-Policy allows only this site).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
