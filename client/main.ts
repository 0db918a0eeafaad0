/** Boot: build the services, mount the app shell, restore the session. */
import './styles/theme.css';
import { createAppServices } from './app-services';
import './components/app-shell';

const services = createAppServices();
const shell = document.createElement('parley-app-shell');
shell.services = services;
document.querySelector('.boot')?.remove();
document.body.append(shell);
void services.start();
