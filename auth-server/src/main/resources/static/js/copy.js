// The portal's only script: the Copy button beside a newly generated token.
document.addEventListener('DOMContentLoaded', () => {
	for (const button of document.querySelectorAll('[data-copy-target]')) {
		const field = document.getElementById(button.dataset.copyTarget);
		button.hidden = false;
		button.addEventListener('click', async () => {
			field.select();
			try {
				await navigator.clipboard.writeText(field.value);
			} catch (e) {
				document.execCommand('copy');
			}
			button.textContent = 'Copied';
		});
	}
});
