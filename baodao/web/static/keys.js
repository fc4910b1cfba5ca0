// Review by keyboard: Ctrl+Enter in a value box confirms the value as read (the “无误” button).
document.addEventListener("keydown", function (event) {
  var box = event.target;
  if (event.key === "Enter" && event.ctrlKey && box.classList && box.classList.contains("review-value")) {
    event.preventDefault();
    box.form.querySelector("button.confirm").click();
  }
});
